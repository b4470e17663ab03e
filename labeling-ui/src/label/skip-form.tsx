import { useState, type FormEvent } from 'react';

const REASONS = ['Unclear image', 'Not in scope', 'Needs an expert', 'Broken or empty item'];

/** Asks why an item is skipped; the reason goes to the record and to the project's managers. */
export function SkipForm({ onSkip, onCancel }: { onSkip: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState(REASONS[0]!);
  const [other, setOther] = useState('');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const text = reason === 'other' ? other.trim() : reason;
    if (text) onSkip(text);
  };
  return (
    <form className="skip-form" onSubmit={submit} data-testid="skip-form" aria-label="Skip this item">
      <label>
        Reason
        <select value={reason} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="skip-reason">
          {REASONS.map((r) => (
            <option key={r}>{r}</option>
          ))}
          <option value="other">Other…</option>
        </select>
      </label>
      {reason === 'other' && <input aria-label="Other reason" required value={other} onChange={(e) => setOther(e.target.value)} autoFocus />}
      <button type="submit" data-testid="skip-confirm">
        Skip item
      </button>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
