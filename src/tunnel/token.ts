import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the ngrok authtoken came from; the banner names it, never the token. */
export interface FoundToken {
  token: string;
  source: string;
}

export interface TokenLookup {
  /** `--authtoken` / the `authtoken` option. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  platform?: NodeJS.Platform;
}

/**
 * The ngrok authtoken, first found wins: the flag, `NGROK_AUTHTOKEN`, then the ngrok agent's own
 * config file, so that someone who already uses ngrok needs no set-up.
 */
export async function findAuthtoken(lookup: TokenLookup = {}): Promise<FoundToken | null> {
  const env = lookup.env ?? process.env;
  if (lookup.flag) return { token: lookup.flag, source: '--authtoken' };
  if (env.NGROK_AUTHTOKEN) return { token: env.NGROK_AUTHTOKEN, source: 'NGROK_AUTHTOKEN' };
  for (const path of agentConfigPaths(env, lookup.home ?? homedir(), lookup.platform ?? process.platform)) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      continue;
    }
    const token = tokenInConfig(text);
    if (token) return { token, source: path };
  }
  return null;
}

/** Where the ngrok agent keeps `ngrok.yml` (v3 first, then the legacy v2 folder). */
export function agentConfigPaths(env: NodeJS.ProcessEnv, home: string, platform: NodeJS.Platform): string[] {
  const paths: string[] = [];
  if (platform === 'darwin') paths.push(join(home, 'Library', 'Application Support', 'ngrok', 'ngrok.yml'));
  else if (platform === 'win32') paths.push(join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'ngrok', 'ngrok.yml'));
  else {
    if (env.XDG_CONFIG_HOME) paths.push(join(env.XDG_CONFIG_HOME, 'ngrok', 'ngrok.yml'));
    paths.push(join(home, '.config', 'ngrok', 'ngrok.yml'));
  }
  paths.push(join(home, '.ngrok2', 'ngrok.yml'));
  return paths;
}

/**
 * The `authtoken` of an ngrok.yml: under `agent:` (config version 3) or at the top level (version 2
 * and the legacy agent). A few lines rather than a YAML parser: only this one key is read.
 */
export function tokenInConfig(text: string): string | null {
  let inAgent = false;
  let agentToken: string | null = null;
  let topToken: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\S/.test(line)) inAgent = /^agent\s*:\s*$/.test(line);
    const match = /^(\s*)authtoken\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) continue;
    const value = unquote(match[2]!);
    if (!value) continue;
    if (match[1] === '') topToken ??= value;
    else if (inAgent) agentToken ??= value;
  }
  return agentToken ?? topToken;
}

function unquote(value: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2]! : value;
}
