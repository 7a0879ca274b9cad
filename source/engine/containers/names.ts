// Container ids and the docker-style random names given when --name is absent.
import crypto from 'node:crypto';

const ADJECTIVES = [
  'admiring', 'brave', 'clever', 'dazzling', 'eager', 'focused', 'gallant', 'happy', 'jolly', 'keen',
  'loving', 'modest', 'nifty', 'optimistic', 'peaceful', 'quirky', 'relaxed', 'serene', 'tender', 'upbeat',
  'vibrant', 'wizardly', 'youthful', 'zealous', 'bold', 'calm', 'eloquent', 'festive', 'gifted', 'heuristic',
];
const SURNAMES = [
  'lovelace', 'hopper', 'turing', 'curie', 'noether', 'ritchie', 'thompson', 'torvalds', 'knuth', 'dijkstra',
  'hamilton', 'liskov', 'perlman', 'goldberg', 'shannon', 'babbage', 'kay', 'mccarthy', 'engelbart', 'cerf',
  'lamport', 'backus', 'allen', 'wozniak', 'johnson', 'bell', 'pike', 'kernighan', 'stallman', 'wirth',
];

export function newContainerId(): string {
  return crypto.randomBytes(32).toString('hex');
}

export function randomName(taken: (name: string) => boolean): string {
  for (let attempt = 0; ; attempt++) {
    const a = ADJECTIVES[crypto.randomInt(ADJECTIVES.length)];
    const b = SURNAMES[crypto.randomInt(SURNAMES.length)];
    const name = attempt < 10 ? `${a}_${b}` : `${a}_${b}${crypto.randomInt(100)}`;
    if (!taken(name)) return name;
  }
}

export const VALID_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
