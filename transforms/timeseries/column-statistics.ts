/** Running statistics of one column (Welford's update for mean and variance). */
export class ColumnStatistics {
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  mean = 0;
  private m2 = 0;

  add(value: number): void {
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
  }

  /** Population standard deviation (divided by n, as scikit-learn's StandardScaler). */
  get std(): number {
    return this.count === 0 ? 0 : Math.sqrt(this.m2 / this.count);
  }
}
