/** The npm perspective-api-client ships no types; these cover what the contract tests call. */
declare module 'perspective-api-client' {
  interface AnalyzeOptions { attributes?: string[] | Record<string, object>; stripHTML?: boolean; doNotStore?: boolean; truncate?: boolean }
  class Perspective {
    constructor(options: { apiKey: string });
    analyze(text: string | object, options?: AnalyzeOptions): Promise<{ attributeScores: Record<string, { summaryScore: { value: number; type: string } }> }>;
  }
  export = Perspective;
}
