#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=4194304 MALLOC_TRIM_THRESHOLD_=33554432 node --max-semi-space-size=4
// microstrax: stored strax data over HTTP as JSON, and the pulse and event viewer (src/web/).

import { Command, InvalidArgumentError } from 'commander';
import { ContextSetupError } from '../named-contexts/contexts.js';
import { startMicrostrax } from '../web/microstrax.js';
import { runCli, UserError } from './user-error.js';
import { versionLine } from './version.js';

const TOKEN_ENV = 'MICROSTRAX_TOKEN';

function int(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got '${v}'.`);
    return Number(v);
  };
}

interface Opts {
  context: string;
  port: number;
  host: string;
  max_load_mb: number;
  max_return_mb: number;
  extra_dirs?: string[];
  config_from_json?: string;
  rundb?: string;
  token?: string;
}

await runCli('microstrax', async () => {
  const program = new Command('microstrax')
    .description('serve stored strax data as JSON over HTTP (read-only), with a viewer at /')
    .exitOverride()
    .version(versionLine('microstrax'), '-V, --version', 'print the version')
    .option('--context <name>', 'context whose lineage names the data', 'xenonnt_online')
    .option('--port <port>', 'TCP port (0: any free port)', int(0, 65535), 8000)
    .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('--max_load_mb <mb>', 'refuse requests that would load more than this', int(1), 1000)
    .option('--max_return_mb <mb>', 'refuse answers holding more than this (binary size)', int(1), 10)
    .option('--extra_dirs <dir...>', 'more data folders to read (read-only)')
    .option('--config_from_json <file>', 'straxen config JSON (needed by --context reference)')
    .option('--rundb <url>', `runs database (default $STRAXTS_RUNDB; none if unset)`)
    .option('--token <token>', `require "Authorization: Bearer TOKEN" on data routes (or $${TOKEN_ENV})`);
  program.parse(process.argv);
  const o = program.opts<Opts>();
  const token = o.token ?? process.env[TOKEN_ENV];
  if (token !== undefined && token.length < 8)
    throw new UserError('--token: use a token of at least 8 characters');
  let running;
  try {
    running = await startMicrostrax({
      context: o.context,
      port: o.port,
      host: o.host,
      maxLoadMb: o.max_load_mb,
      maxReturnMb: o.max_return_mb,
      extraDirs: o.extra_dirs ?? [],
      ...(o.config_from_json !== undefined ? { configFromJson: o.config_from_json } : {}),
      ...(o.rundb !== undefined ? { rundb: o.rundb } : {}),
      ...(token !== undefined ? { token } : {}),
    });
  } catch (e) {
    if (e instanceof ContextSetupError) throw new UserError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UserError(`port ${o.port} on ${o.host} is in use: pick another --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UserError(`cannot listen on ${o.host}: not an address of this machine (--host)`);
    if (code === 'EACCES')
      throw new UserError(`not allowed to listen on port ${o.port}: use a port above 1023`);
    throw e;
  }
  process.stderr.write(
    `microstrax: serving context ${o.context} at ${running.url} (viewer at ${running.url}/)\n`,
  );
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
});
