export interface BenchRow {
  suite: string;
  metric: string;
  value: number;
  unit: string;
  /** e.g. "≤ 15 ms"; empty when the row is informational. */
  target?: string;
  pass?: boolean;
  note?: string;
}
