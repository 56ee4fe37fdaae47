export function createBenchActivities() {
  return {
    /** Does nothing, so the baseline measures only Temporal's own cost of an activity. */
    async benchNoop(i: number): Promise<number> {
      return i;
    },
  };
}
export type BenchActivities = ReturnType<typeof createBenchActivities>;
