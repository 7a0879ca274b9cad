// docker's TagNameOnly: a reference without a tag or digest names its `latest` tag
// ("app" → "app:latest", "127.0.0.1:5000/app" → "127.0.0.1:5000/app:latest").
export function withDefaultTag(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return ref.includes('@') || last.includes(':') ? ref : `${ref}:latest`;
}
