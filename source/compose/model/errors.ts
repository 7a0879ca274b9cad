// What is wrong with a compose project, and where: `compose.yaml:14: services.web.ports[0]: …`.
export interface ComposeErrorPlace {
  file?: string;
  line?: number;
  path?: string; // services.web.ports[0]
}

export class ComposeError extends Error {
  constructor(readonly detail: string, readonly place: ComposeErrorPlace = {}) {
    super(formatPlace(place) + detail);
    this.name = 'ComposeError';
  }
}

function formatPlace({ file, line, path }: ComposeErrorPlace): string {
  const where = file ? `${file}${line ? `:${line}` : ''}: ` : '';
  return `${where}${path ? `${path}: ` : ''}`;
}
