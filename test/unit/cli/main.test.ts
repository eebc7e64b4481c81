/**
 * `nsm` as a user first meets it: --help and --version exit 0, a typo gets a suggestion, a flag
 * given twice is an error, and every error is one line with one `nsm <command>:` prefix.
 * In-process through `main(argv, io)`; nothing here opens an engine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runNsm } from '../../support/cli';

const nsm = (...argv: string[]) => runNsm(argv);

const version = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version as string;

describe('nsm --help and nsm <command> --help', () => {
  it('nsm --help lists every command and exits 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await nsm(flag);
      expect(r.code, flag).toBe(0);
      expect(r.stderr).toBe('');
      for (const command of ['run', 'sql', 'validate', 'demo']) expect(r.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(r.stdout).toContain('--version');
    }
  });

  it('nsm alone prints the usage on stderr and exits 2', async () => {
    const r = await nsm();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: nsm <command>');
  });

  // Every flag each command accepts, with the default the help must state (null: no default to state).
  const flags: Record<string, Record<string, string | null>> = {
    run: {
      '--config FILE': 'nsm.config.yaml',
      '--date YYYY-MM-DD': "yesterday in the config's timezone",
      '--from YYYY-MM-DD': null,
      '--to YYYY-MM-DD': null,
      '--engine duckdb|athena': 'duckdb',
      '--workgroup NAME': 'lake.athena.workgroup',
      '--alert-all': null,
    },
    sql: { '--config FILE': 'nsm.config.yaml', '--date YYYY-MM-DD': null, '--dialect duckdb|athena': 'duckdb', '--from-scratch': null },
    validate: {
      '--config FILE': 'nsm.config.yaml',
      '--lake': null,
      '--date YYYY-MM-DD': "yesterday in the config's timezone",
      '--engine duckdb|athena': 'duckdb',
    },
    demo: { '--dir DIR': 'demo', '--events N': '1000000' },
  };
  it.each(Object.entries(flags))('nsm %s --help: exit 0, usage with every flag and its default', async (command, expected) => {
    for (const help of ['--help', '-h']) {
      const r = await nsm(command, help);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`Usage: nsm ${command}`);
      const lines = r.stdout.split('\n');
      for (const [flag, dflt] of Object.entries(expected)) {
        const line = lines.find((l) => l.trimStart().startsWith(`${flag} `) || l.trim() === flag);
        expect(line, `${command}: ${flag}`).toBeDefined();
        if (dflt !== null) expect(line, `${command}: ${flag}`).toContain(`(default: ${dflt})`);
      }
      expect(r.stdout).toMatch(/-h, --help/);
    }
  });

  it('--help wins over everything else on the line (no config is read)', async () => {
    const r = await nsm('run', '--config', '/no/such/file.yaml', '--date', 'nope', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nsm run');
  });
});

describe('nsm --version', () => {
  it.each(['--version', '-V', 'version'])('%s prints the package version and exits 0', async (flag) => {
    const r = await nsm(flag);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`nsm ${version}\n`);
  });
});

describe('mistakes on the command line: one line, one prefix, exit 2', () => {
  async function expectError(argv: string[], message: string) {
    const r = await nsm(...argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr.trimEnd()).toBe(message);
  }

  it('an unknown command gets the closest command', async () => {
    await expectError(['rn'], "nsm: unknown command 'rn' (did you mean 'run'?); see nsm --help");
    await expectError(['valdate'], "nsm: unknown command 'valdate' (did you mean 'validate'?); see nsm --help");
    await expectError(['frobnicate'], "nsm: unknown command 'frobnicate'; see nsm --help");
  });

  it('an unknown flag gets the closest flag of that command', async () => {
    await expectError(['run', '--confg', 'x.yaml'], "nsm run: unknown flag '--confg' (did you mean '--config'?); see nsm run --help");
    await expectError(['sql', '--dialekt', 'athena'], "nsm sql: unknown flag '--dialekt' (did you mean '--dialect'?); see nsm sql --help");
    await expectError(['validate', '--nope'], "nsm validate: unknown flag '--nope'; see nsm validate --help");
  });

  it('a single-value flag given twice is an error, not the last one silently', async () => {
    await expectError(['run', '--date', '2024-01-01', '--date', '2024-01-02'], 'nsm run: --date given twice (2024-01-01, 2024-01-02)');
    await expectError(['run', '--alert-all', '--alert-all'], 'nsm run: --alert-all given twice');
  });

  it('a flag without its value, a value for a switch, a stray argument', async () => {
    await expectError(['run', '--date'], 'nsm run: --date needs a value (YYYY-MM-DD)');
    await expectError(['run', '--date', '--config', 'x.yaml'], 'nsm run: --date needs a value (YYYY-MM-DD)');
    await expectError(['run', '--alert-all=yes'], 'nsm run: --alert-all takes no value');
    await expectError(['validate', 'nsm.config.yaml'], "nsm validate: unexpected argument 'nsm.config.yaml'");
  });

  it('errors raised inside a command carry the prefix once', async () => {
    await expectError(['sql', '--config', 'x.yaml'], 'nsm sql: --date is required');
    await expectError(['run', '--engine', 'spark'], "nsm run: --engine: 'spark' is not one of duckdb, athena");
  });
});
