export function createBenchActivities() {
  return {
    /** Does nothing, so the baseline measures only Temporal's own cost of an activity. */
    async benchNoop(i: number): Promise<number> {
      return i;
    },
    /** The same HTTP request a run's first text makes, with nothing around it. */
    async benchPost(url: string, form: Record<string, string>): Promise<number> {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
      return res.status;
    },
  };
}
export type BenchActivities = ReturnType<typeof createBenchActivities>;
