// How a template function is declared: the Go types of its parameters, which the evaluator
// checks and converts as text/template does before the call.
/** 'value' is reflect.Value (anything, a missing value too); 'any' is interface{}. */
export type Param = 'value' | 'any' | 'string' | 'int';

export interface TemplateFunction {
  params: Param[];
  variadic?: Param;
  shortCircuit?: 'and' | 'or';
  call(...args: any[]): unknown;
}

export type FuncMap = Record<string, TemplateFunction>;

export const fn = (params: Param[], call: TemplateFunction['call'], variadic?: Param): TemplateFunction => ({ params, call, variadic });
