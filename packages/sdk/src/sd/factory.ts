import type { Instance } from './instance.js';

/** What a Factory makes of an instance: an endpoint, and how to release it when the instance leaves. */
export interface FactoryResult<E> {
  endpoint: E;
  close?: () => void | Promise<void>;
}

/** Turns an instance into an endpoint (a client bound to that instance). May throw to skip it. */
export type Factory<E> = (instance: Instance) => FactoryResult<E>;

/** The usual endpoint shape: a function of a request. */
export type Endpoint<Req = unknown, Res = unknown> = (request: Req, signal?: AbortSignal) => Promise<Res>;
