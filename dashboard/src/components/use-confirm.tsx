// Asks before a destructive action: `ask(title, text, label, action)` opens the confirmation dialog, and the
// action runs only once confirmed; its failure is shown as the API's message.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from './confirm-dialog.tsx';

export type Ask = (title: string, text: string, label: string, action: () => Promise<unknown>) => void;

type Pending = { title: string; text: string; label: string; action: () => Promise<unknown> };

export function useConfirm(onError: (message: string) => void) {
  const [pending, setPending] = useState<Pending>();
  const ask: Ask = (title, text, label, action) => setPending({ title, text, label, action });
  const dialog: JSX.Element | null = pending ? (
    <ConfirmDialog
      title={pending.title}
      confirmLabel={pending.label}
      onCancel={() => setPending(undefined)}
      onConfirm={() => {
        setPending(undefined);
        pending.action().catch((e: Error) => onError(e.message));
      }}
    >
      {pending.text}
    </ConfirmDialog>
  ) : null;
  return { ask, dialog };
}
