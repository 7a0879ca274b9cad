// A template error in Go's words ("template: :1: function \"foo\" not defined"); the CLI adds
// docker's "template parsing error: " and exits 125.
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}
