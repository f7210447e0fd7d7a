declare module 'eslint-formatter-friendly' {
  /** ESLint's formatter signature: LintResult[] in, text out. */
  const format: (results: unknown[]) => string;
  export default format;
}
