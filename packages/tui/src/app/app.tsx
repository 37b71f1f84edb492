import { relative } from 'node:path';
import { Box, useApp } from 'ink';
import { useScreenInput } from '../shared/use-screen-input.js';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { BindsScreen } from '../screens/binds/binds-screen.js';
import { ConfirmScreen } from '../screens/confirm/confirm-screen.js';
import { DowngradeScreen } from '../screens/downgrade/downgrade-screen.js';
import { HelpScreen } from '../screens/help/help-screen.js';
import { InputRouter, type KeyHandler } from '../shared/input-router.js';
import { MessageScreen } from '../screens/message/message-screen.js';
import { ReviewScreen, reviewTitle } from '../screens/review/review-screen.js';
import { RevisionScreen } from '../screens/revision/revision-screen.js';
import { describeRun } from '../screens/run/run-summary.js';
import { nameList } from '../shared/format.js';
import { RunScreen } from '../screens/run/run-screen.js';
import type { RevisionInFlight } from '@multidb/core';
import type { BindRow, RunRequest, RunSession, TuiBackend } from '../backend/tui-backend.js';
import { appReducer, currentScreen, exitCode, initialAppState, type Screen } from './use-app-state.js';
import { useAsync } from '../shared/use-async.js';
import { useLatestReducer } from '../shared/use-latest-reducer.js';
import { useTerminalSize, type TerminalSize } from '../shared/use-terminal-size.js';

/** Props of {@link App}. */
export interface AppProps {
  /** The project the app shows ({@link EnvironmentBackend} for a real one). */
  readonly backend: TuiBackend;
  /** Folder paths are shown relative to. */
  readonly cwd: string;
  /** A fixed size (tests); default: the terminal's, following resizes. */
  readonly size?: TerminalSize;
  /**
   * Called once when the app ends, before it unmounts: the exit code (0; 1 when the last run
   * failed; 130 when ctrl+c abandoned a run, or stopped the last run before its binds reached
   * their targets) and a summary line per finished run.
   */
  readonly onExit?: (code: number, summaries: readonly string[]) => void;
  /** Milliseconds now, for elapsed times (default `Date.now`). */
  readonly clock?: () => number;
}

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly isActive: boolean;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Shows a loading or error message until `state` is done, then `children(value)`. */
function Loaded<T>({ state, title, layout, onBack, hint, children }: { state: ReturnType<typeof useAsync<T>>; title: string; layout: Layout; onBack: () => void; hint?: string | undefined; children: (value: T) => ReactNode }) {
  if (state.status === 'done') return <>{children(state.value)}</>;
  const failed = state.status === 'error';
  return <MessageScreen title={title} message={failed ? message(state.error) : 'Loading…'} tone={failed ? 'error' : 'info'} {...(failed && hint !== undefined ? { hint } : {})} onBack={onBack} {...layout} />;
}

/**
 * What to do when the review of `binds` failed and some of them are unreachable while others are
 * not: unselect those to review the others. Undefined otherwise.
 */
function unreachableHint(binds: readonly string[], rows: readonly BindRow[]): string | undefined {
  const down = new Set(rows.filter((r) => r.status.kind === 'unreachable').map((r) => r.name));
  const unreachable = binds.filter((b) => down.has(b));
  if (unreachable.length === 0 || unreachable.length === binds.length) return undefined;
  return `Unselect ${nameList(unreachable)} (unreachable) to review the others.`;
}

function ReviewContainer({ backend, binds, rows, layout, onOpen, onUpgrade, onBack }: { backend: TuiBackend; binds: readonly string[]; rows: readonly BindRow[]; layout: Layout; onOpen: (bind: string, revision: string) => void; onUpgrade: (targets: readonly string[]) => void; onBack: () => void }) {
  const state = useAsync(() => backend.review(binds), binds.join(','));
  const branches = useMemo(() => Object.fromEntries(rows.map((r) => [r.name, r.branch])), [rows]);
  const inFlight = useMemo(() => Object.fromEntries(rows.flatMap((r) => (r.inFlight ? [[r.name, r.inFlight] as const] : []))), [rows]);
  return (
    <Loaded state={state} title={reviewTitle(binds, layout.width - 12, branches)} layout={layout} onBack={onBack} hint={unreachableHint(binds, rows)}>
      {(model) => <ReviewScreen model={model} branches={branches} inFlight={inFlight} onOpen={onOpen} onUpgrade={() => onUpgrade(model.targets)} onBack={onBack} {...layout} />}
    </Loaded>
  );
}

function RevisionContainer({ backend, screen, cwd, rows, layout, onBack }: { backend: TuiBackend; screen: Extract<Screen, { name: 'revision' }>; cwd: string; rows: readonly BindRow[]; layout: Layout; onBack: () => void }) {
  const inFlight = rows.find((r) => r.name === screen.bind)?.inFlight;
  const state = useAsync(() => backend.preview(screen.bind, screen.revision, screen.direction), `${screen.bind}:${screen.revision}:${screen.direction}`);
  return (
    <Loaded state={state} title={`${screen.bind} · ${screen.revision}`} layout={layout} onBack={onBack}>
      {(preview) => <RevisionScreen preview={preview} cwd={cwd} inFlight={inFlight} onBack={onBack} {...layout} />}
    </Loaded>
  );
}

function DowngradeContainer({ backend, bind, current, layout, onChoose, onBack }: { backend: TuiBackend; bind: string; current: readonly string[]; layout: Layout; onChoose: (target: string) => void; onBack: () => void }) {
  const state = useAsync(() => backend.downgradeChoices(bind), bind);
  return (
    <Loaded state={state} title={`Downgrade ${bind}`} layout={layout} onBack={onBack}>
      {(choices) => <DowngradeScreen bind={bind} current={current} choices={choices} onChoose={(c) => onChoose(c.target)} onBack={onBack} {...layout} />}
    </Loaded>
  );
}

function ConfirmContainer({ backend, bind, target, inFlight, layout, onConfirm, onOpen, onBack }: { backend: TuiBackend; bind: string; target: string; inFlight: RevisionInFlight | undefined; layout: Layout; onConfirm: () => void; onOpen: (bind: string, revision: string) => void; onBack: () => void }) {
  const state = useAsync(() => backend.planDowngrade(bind, target), target);
  return (
    <Loaded state={state} title={`Confirm: downgrade ${target}`} layout={layout} onBack={onBack}>
      {(plan) => <ConfirmScreen plan={plan} inFlight={inFlight} onConfirm={onConfirm} onOpen={onOpen} onCancel={onBack} {...layout} />}
    </Loaded>
  );
}

function RunContainer({
  backend,
  request,
  id,
  layout,
  clock,
  stopping,
  onSession,
  onFinished,
  onBack,
}: {
  backend: TuiBackend;
  request: RunRequest;
  id: number;
  layout: Layout;
  clock: (() => number) | undefined;
  stopping: boolean;
  onSession: (session: RunSession | undefined) => void;
  onFinished: (ok: boolean, summary: string, interrupted?: boolean) => void;
  onBack: () => void;
}) {
  const state = useAsync(() => backend.startRun(request), String(id));
  useEffect(() => {
    if (state.status === 'done') onSession(state.value);
    if (state.status === 'error') onFinished(false, `${request.direction === 'up' ? 'Upgrade' : 'Downgrade'} did not start: ${message(state.error)}`);
    // Once per state change.
  }, [state]);
  return (
    <Loaded state={state} title="Starting the run" layout={layout} onBack={onBack}>
      {(session) => (
        <RunScreen
          session={session}
          stopping={stopping}
          onBack={onBack}
          onFinished={(run) => {
            onSession(undefined);
            onFinished(
              // A codegen that failed after the run (`codegen: 'after-run'`) exits 1, as `migrate
              // upgrade`/`downgrade` do; the summary says the run itself completed.
              run.binds.every((b) => b.phase !== 'failed' && b.phase !== 'stopped') && run.codegenFailures.length === 0,
              // Printed when the TUI closes: every target of the command that finishes the run
              // (the screen shows the first 20), since nothing else shows the rest.
              describeRun(run, { allTargets: true }),
              // Stopped by ctrl+c, even during the last revision (nothing left): quitting exits 130.
              run.interrupted || run.binds.some((b) => b.phase === 'interrupted'),
            );
          }}
          {...(clock ? { clock } : {})}
          {...layout}
        />
      )}
    </Loaded>
  );
}

/**
 * The app's own keys (ctrl+c, `?`), taken through the router like a screen's, so a screen typing
 * text (the binds filter) gets `?` instead.
 */
function AppKeys({ onKey }: { readonly onKey: KeyHandler }) {
  useScreenInput(onKey);
  return null;
}

/**
 * The whole TUI: the binds screen, and over it review, revision, downgrade, confirmation and
 * run screens as the user goes; `?` shows the keys of the screen on top. Screens underneath stay
 * mounted (hidden), so going back finds them as they were. `r` on the binds screen (and going
 * back to it after a run) reads the config file again ({@link TuiBackend.reload}); a config that
 * no longer loads shows its error over the binds, which stay as loaded before.
 *
 * @example
 * ```tsx
 * render(<App backend={await EnvironmentBackend.open()} cwd={process.cwd()} onExit={(code) => (process.exitCode = code)} />);
 * ```
 */
export function App({ backend, cwd, size, onExit, clock }: AppProps) {
  const { exit } = useApp();
  const terminal = useTerminalSize(size);
  // One line short of the terminal: a frame that fills it makes Ink clear the screen on each update.
  const width = Math.max(40, terminal.columns);
  const height = Math.max(10, terminal.rows - 1);
  const [state, dispatch, get] = useLatestReducer(appReducer, () => initialAppState(backend.listBinds()));
  const session = useRef<RunSession | undefined>(undefined);
  const ended = useRef(false);
  const end = (code: number) => {
    if (ended.current) return;
    ended.current = true;
    onExit?.(code, get().summaries);
    exit();
  };

  useEffect(() => {
    let live = true;
    const read = () => {
      if (!live) return;
      const rows = backend.listBinds();
      dispatch({ type: 'rows', rows });
      for (const r of rows) void backend.loadBind(r.name).then((row) => live && dispatch({ type: 'row', row }));
    };
    if (state.reloads === 0) read();
    else {
      // `r` (and back from a run): the config file too, as edited since.
      const reloaded = backend.reload !== undefined ? backend.reload() : Promise.resolve(backend.refresh());
      reloaded.then(read, (error: unknown) => {
        // The previous project stays: its binds are read again, under the error.
        read();
        if (!live) return;
        const config = relative(cwd, backend.configPath) || backend.configPath;
        const hint = `The binds shown are those of ${config} as it loaded before (its revisions read again). Correct the file, then press r on the binds screen.`;
        dispatch({ type: 'push', screen: { name: 'message', title: `Config not reloaded: ${config}`, message: message(error), hint } });
      });
    }
    return () => {
      live = false;
    };
  }, [state.reloads, backend, dispatch]);

  useEffect(() => {
    if (state.quit) end(exitCode(state));
  });

  const onKey: KeyHandler = (input, key) => {
    if (key.ctrl && input === 'c') {
      const running = session.current;
      if (running && !get().stopping) {
        // The first ctrl+c of a run: it stops after the revisions in progress, as `migrate upgrade` does.
        running.interrupt();
        dispatch({ type: 'stopping' });
      } else if (running) {
        // The second: abandoned at once. Said after the TUI closes, as `migrate upgrade` says it.
        session.current = undefined;
        const what = running.direction === 'up' ? 'Upgrade' : 'Downgrade';
        dispatch({
          type: 'abandoned',
          summary: `${what} abandoned (ctrl+c twice): what was running was cancelled, and a revision in progress rolls back (on MySQL/MariaDB the statements it completed stay, recorded: running the ${what.toLowerCase()} again resumes it). Run 'migrate current' to see where each bind stands.`,
        });
        void running.cancel().finally(() => end(130));
      }
      else end(exitCode(get()));
    } else if (input === '?') dispatch({ type: 'help', open: !get().help });
  };

  const top = currentScreen(state);
  const back = () => dispatch({ type: 'back' });
  const home = () => dispatch({ type: 'home' });
  const render = (screen: Screen, isTop: boolean): ReactNode => {
    const layout: Layout = { width, height, isActive: isTop && !state.help };
    switch (screen.name) {
      case 'binds':
        return (
          <BindsScreen
            rows={state.rows}
            title={`multidb · ${relative(cwd, backend.configPath) || backend.configPath}`}
            onReview={(binds) => dispatch({ type: 'push', screen: { name: 'review', binds } })}
            onDowngrade={(bind) => {
              // A revision whose upgrade stopped part way (MySQL/MariaDB) blocks a downgrade: core
              // refuses it (PartlyAppliedError), so say so and how to go on instead of offering targets.
              const f = get().rows.find((r) => r.name === bind)?.inFlight;
              if (f?.direction !== 'up') dispatch({ type: 'push', screen: { name: 'downgrade', bind } });
              else
                dispatch({
                  type: 'push',
                  screen: {
                    name: 'message',
                    title: `Downgrade ${bind}: refused`,
                    message: `Revision ${f.revision} is partly applied (its upgrade stopped after ${f.writes} write(s), last: ${f.last}): ${bind} cannot be downgraded while it is in flight.`,
                    hint:
                      `If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it); then upgrade ${bind} again to resume it (enter, then u), ` +
                      `or repair the database by hand and record it with 'migrate resolve ${bind} --applied' or 'migrate resolve ${bind} --not-applied'.`,
                  },
                });
            }}
            onRefresh={() => dispatch({ type: 'reload' })}
            onBack={back}
            {...layout}
          />
        );
      case 'review':
        return (
          <ReviewContainer
            backend={backend}
            binds={screen.binds}
            rows={state.rows}
            layout={layout}
            onOpen={(bind, revision) => dispatch({ type: 'push', screen: { name: 'revision', bind, revision, direction: 'up' } })}
            onUpgrade={(targets) => dispatch({ type: 'run', request: { direction: 'up', targets } })}
            onBack={back}
          />
        );
      case 'revision':
        return <RevisionContainer backend={backend} screen={screen} cwd={cwd} rows={state.rows} layout={layout} onBack={back} />;
      case 'downgrade':
        return (
          <DowngradeContainer
            backend={backend}
            bind={screen.bind}
            current={state.rows.find((r) => r.name === screen.bind)?.current ?? []}
            layout={layout}
            onChoose={(target) => dispatch({ type: 'push', screen: { name: 'confirm', bind: screen.bind, target } })}
            onBack={back}
          />
        );
      case 'confirm':
        return (
          <ConfirmContainer
            backend={backend}
            bind={screen.bind}
            target={screen.target}
            inFlight={state.rows.find((r) => r.name === screen.bind)?.inFlight}
            layout={layout}
            onConfirm={() => dispatch({ type: 'run', request: { direction: 'down', target: screen.target } })}
            onOpen={(bind, revision) => dispatch({ type: 'push', screen: { name: 'revision', bind, revision, direction: 'down' } })}
            onBack={back}
          />
        );
      case 'message':
        return <MessageScreen title={screen.title} message={screen.message} tone="error" {...(screen.hint !== undefined ? { hint: screen.hint } : {})} onBack={back} {...layout} />;
      case 'run':
        return (
          <RunContainer
            backend={backend}
            request={screen.request}
            id={screen.id}
            layout={layout}
            clock={clock}
            stopping={state.stopping}
            onSession={(s) => (session.current = s)}
            onFinished={(ok, summary, interrupted) => dispatch({ type: 'run-finished', ok, summary, ...(interrupted ? { interrupted } : {}) })}
            onBack={home}
          />
        );
    }
  };

  return (
    <InputRouter>
      <AppKeys onKey={onKey} />
      <Box flexDirection="column">
        {state.stack.map((screen, i) => {
          const isTop = i === state.stack.length - 1;
          const key = screen.name === 'run' ? `run:${screen.id}` : `${i}:${screen.name}`;
          return (
            <Box key={key} display={isTop && !state.help ? 'flex' : 'none'} flexDirection="column">
              {render(screen, isTop)}
            </Box>
          );
        })}
        {state.help ? <HelpScreen screen={top.name} width={width} height={height} isActive onClose={() => dispatch({ type: 'help', open: false })} /> : null}
      </Box>
    </InputRouter>
  );
}
