// Our small actor interface over nact. Only this file imports nact: the rest of the code spawns,
// tells and asks through `ActorSystem`, so the runtime can change without touching the actors.

import { dispatch, spawn, start, stop } from 'nact';

declare const msgBrand: unique symbol;
/** An address to send messages of type M to. */
export interface ActorRef<M> {
  readonly [msgBrand]?: M;
}

/** How a handler answers an `ask`. */
export type Reply<R> = (value: R) => void;

export interface ActorContext<M> {
  self: ActorRef<M>;
  name: string;
}

export type Handler<S, M> = (state: S, msg: M, ctx: ActorContext<M>) => S | Promise<S>;

export interface ActorSystem {
  spawn<S, M>(name: string, initial: S, handler: Handler<S, M>, parent?: ActorRef<unknown>): ActorRef<M>;
  tell<M>(ref: ActorRef<M>, msg: M): void;
  ask<M, R>(ref: ActorRef<M>, make: (reply: Reply<R>) => M, timeoutMs?: number): Promise<R>;
  stopActor(ref: ActorRef<unknown>): void;
  shutdown(): void;
}

type NactRef = Parameters<typeof dispatch>[0];

/** Errors thrown by a handler are reported here and the actor keeps its previous state. */
export type CrashReporter = (actor: string, err: unknown) => void;

let systems = 0;

export function createActorSystem(name = 'sectorwars', onError: CrashReporter = () => {}): ActorSystem {
  const root = start(`${name}-${++systems}`) as unknown as NactRef; // nact keeps systems by name
  const asNact = (r: ActorRef<unknown>) => r as unknown as NactRef;
  return {
    spawn<S, M>(actorName: string, initial: S, handler: Handler<S, M>, parent?: ActorRef<unknown>): ActorRef<M> {
      const self = spawn(
        (parent ? asNact(parent) : root) as never,
        (async (state: S, msg: M) => {
          try {
            return await handler(state, msg, { self, name: actorName });
          } catch (err) {
            onError(actorName, err);
            return state;
          }
        }) as never,
        actorName,
        { initialState: initial } as never,
      ) as unknown as ActorRef<M>;
      return self;
    },
    tell<M>(ref: ActorRef<M>, msg: M): void {
      dispatch(asNact(ref), msg);
    },
    // The reply is a plain callback resolving a promise: in one process that is all an ask needs, and it
    // spares the temporary actor nact's `query` spawns for every call (most of an ask's cost).
    ask<M, R>(ref: ActorRef<M>, make: (reply: Reply<R>) => M, timeoutMs = 10_000): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`ask timed out after ${timeoutMs} ms`)), timeoutMs);
        dispatch(asNact(ref), make((v: R) => { clearTimeout(timer); resolve(v); }));
      });
    },
    stopActor(ref: ActorRef<unknown>): void {
      stop(asNact(ref));
    },
    shutdown(): void {
      stop(root);
    },
  };
}
