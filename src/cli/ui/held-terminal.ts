/**
 * The terminal as listr2 sees it: writes pass straight through, except while held. Held
 * writes are kept in order and written on release.
 *
 * Why: listr2 redraws whenever a task changes, including when it moves on to the next task by
 * itself a few microtasks later, so "not telling it anything" does not stop it drawing. A
 * prompt written under the frame would be wiped by the next redraw. Holding the redraws
 * instead keeps the prompt intact; once the prompt has been erased (the cursor is back where
 * the frame left it), replaying them in order gives exactly the screen they would have given.
 */
export class HeldTerminal {
  private held: (string | Uint8Array)[] | undefined;

  constructor(private readonly terminal: NodeJS.WriteStream) {}

  get isTTY(): boolean {
    return true;
  }

  get columns(): number | undefined {
    return this.terminal.columns;
  }

  get rows(): number | undefined {
    return this.terminal.rows;
  }

  /** listr2 and log-update write strings and pass no callback. */
  write(chunk: string | Uint8Array): boolean {
    if (!this.held) return this.terminal.write(chunk);
    this.held.push(chunk);
    return true;
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const chunk of held) this.terminal.write(chunk);
  }

  /** For listr2, which expects a NodeJS.WriteStream. */
  asStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}
