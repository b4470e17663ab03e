/** A hash or commit id shortened to its first 12 characters, the whole of it in the tooltip. */
export function ShortHash({ value, testId }: { value: string; testId?: string }) {
  return (
    <code className="hash" title={value} data-testid={testId} data-full={value}>
      {value.slice(0, 12)}
    </code>
  );
}

/** A time as the reader's locale shows it, the exact ISO time in the tooltip. */
export function Time({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {new Date(iso).toLocaleString()}
    </time>
  );
}
