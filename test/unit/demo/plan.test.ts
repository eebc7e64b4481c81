import { describe, expect, it } from 'vitest';
import { calibrateScale, expectedActiveDays, eventsPerActiveDay, planPopulation, scheduledInLake } from '../../../functions/demo/plan';
import { deriveSeed, Rng } from '../../../functions/demo/prng';
import { BASE_RETENTION, DEMO_ACTIONS, EV, POPULATION } from '../../../functions/demo/story';

// A large population (no events written): tight estimates of what the plan itself plants.
const DAYS = 180;
const FIRST_WEEKDAY = 4; // day 0 is a Thursday
const plan = planPopulation(new Rng(deriveSeed(1, 'plan')), DAYS, FIRST_WEEKDAY, 60);
const users = plan.users;

describe('planPopulation', () => {
  it('plans a large population, users in sign-up order with unique ids', () => {
    expect(users.length).toBeGreaterThan(50_000);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    expect(users.filter((u, i) => i > 0 && u.entry < users[i - 1]!.entry)).toEqual([]);
    expect(users[0]!.id).toBe('u0000001');
  });

  it('gives each team one creator and members, and solo users no team', () => {
    const creators = users.filter((u) => u.role === 'creator');
    expect(creators).toHaveLength(plan.teams);
    expect(new Set(creators.map((u) => u.account)).size).toBe(plan.teams);
    expect(users.filter((u) => u.role === 'solo')).toHaveLength(plan.soloUsers);
    expect(users.filter((u) => (u.role === 'solo') !== (u.account === null))).toEqual([]);
    const creatorEntry = new Map(creators.map((u) => [u.account, u.entry]));
    expect(users.filter((u) => u.role === 'member' && u.entry < creatorEntry.get(u.account)!)).toEqual([]);
  });

  it('grows sign-ups by about the planted factor, starts before the lake, and has fewer at weekends', () => {
    expect(users[0]!.entry).toBeLessThan(-300); // the warm-up year
    const perDay = new Array<number>(DAYS).fill(0);
    for (const u of users) if (u.role === 'creator' && u.entry >= 0) perDay[u.entry]! += 1;
    const sum = (a: number, b: number) => perDay.slice(a, b).reduce((x, y) => x + y, 0);
    // Last 4 weeks vs first 4 weeks of the lake: growth^(152/179) = 1.80.
    const growth = sum(DAYS - 28, DAYS) / sum(0, 28);
    expect(growth).toBeGreaterThan(1.65);
    expect(growth).toBeLessThan(1.95);
    const isWeekend = (d: number) => [0, 6].includes((FIRST_WEEKDAY + d) % 7);
    const mean = (pred: (d: number) => boolean) => {
      const days = perDay.map((_, d) => d).filter(pred);
      return days.reduce((n, d) => n + perDay[d]! / POPULATION.growth ** (d / (DAYS - 1)), 0) / days.length;
    };
    expect(mean(isWeekend) / mean((d) => !isWeekend(d))).toBeCloseTo(POPULATION.weekendFactor, 1);
  });

  it('scatters daily team sign-ups less than a Poisson count would (quiet new_teams)', () => {
    // A demo-sized plan: 10 teams a weekday at the lake's start, 20 at its end.
    const demo = planPopulation(new Rng(deriveSeed(3, 'plan')), DAYS, FIRST_WEEKDAY, 10);
    const perDay = new Array<number>(DAYS).fill(0);
    for (const u of demo.users) if (u.role === 'creator' && u.entry >= 0) perDay[u.entry]! += 1;
    const weekdays = perDay.map((_, d) => d).filter((d) => ![0, 6].includes((FIRST_WEEKDAY + d) % 7));
    const expected = (d: number) => 10 * POPULATION.growth ** (d / (DAYS - 1));
    // Σ(count − mean)² / Σ mean: 1 for Poisson counts; (0.1·rate)²/rate + at most 0.25/rate here,
    // i.e. 0.11 … 0.21 over the lake.
    const dispersion = weekdays.reduce((n, d) => n + (perDay[d]! - expected(d)) ** 2, 0) / weekdays.reduce((n, d) => n + expected(d), 0);
    expect(dispersion).toBeLessThan(0.4);
    expect(dispersion).toBeGreaterThan(0.05);
  });

  it('keeps non-retained users quiet from E+84 on, and retained ones active past E+90', () => {
    expect(users.filter((u) => !u.retained && (u.last > u.entry + 83 || u.until > u.entry + 83))).toEqual([]);
    expect(users.filter((u) => u.retained && u.last < u.entry + 90)).toEqual([]);
  });

  it('schedules a planted action inside its window exactly for the users planted to do it', () => {
    const wrong = users.filter((u) =>
      DEMO_ACTIONS.some((a, bit) => {
        if (a.multiplier === null) return false;
        const inWindow = u.scheduled.some(([day, code]) => code === EV[a.event] && day - u.entry < a.withinDays);
        return inWindow !== (((u.actions >> bit) & 1) === 1);
      }),
    );
    expect(wrong).toEqual([]);
    // Scheduled days never precede sign-up, and the entry events come first.
    expect(users.filter((u) => u.scheduled[0]![0] !== u.entry || u.scheduled[0]![1] !== EV.signed_up)).toEqual([]);
    expect(users.filter((u) => u.scheduled.some(([day]) => day < u.entry))).toEqual([]);
  });

  it.each(DEMO_ACTIONS.filter((a) => a.multiplier !== null).map((a) => [a.id, a.multiplier!] as const))(
    '%s: retention with / without is the planted multiplier %d',
    (id, multiplier) => {
      const bit = DEMO_ACTIONS.findIndex((a) => a.id === id);
      const hit = users.filter((u) => (u.actions >> bit) & 1);
      const miss = users.filter((u) => !((u.actions >> bit) & 1));
      const rate = (us: typeof users) => us.filter((u) => u.retained).length / us.length;
      const lift = rate(hit) / rate(miss);
      // Katz: sd of ln(lift) is at most ~0.04 at these sizes; 4 sd.
      expect(Math.abs(Math.log(lift / multiplier))).toBeLessThan(0.16);
    },
  );

  it('draws the planted actions independently of one another (so each lift is its own multiplier)', () => {
    const bits = DEMO_ACTIONS.flatMap((a, i) => (a.multiplier !== null ? [i] : []));
    for (const i of bits) {
      for (const j of bits) {
        if (j <= i) continue;
        const n = users.length;
        const pi = users.filter((u) => (u.actions >> i) & 1).length / n;
        const pj = users.filter((u) => (u.actions >> j) & 1).length / n;
        const pij = users.filter((u) => (u.actions >> i) & 1 && (u.actions >> j) & 1).length / n;
        // Phi coefficient of the 2x2 table; under independence its sd is 1/sqrt(n) ~ 0.004.
        const phi = (pij - pi * pj) / Math.sqrt(pi * (1 - pi) * pj * (1 - pj));
        expect(Math.abs(phi), `${DEMO_ACTIONS[i]!.id} x ${DEMO_ACTIONS[j]!.id}`).toBeLessThan(0.025);
      }
    }
  });

  it('retains users with no planted action at the base rate', () => {
    const none = users.filter((u) => DEMO_ACTIONS.every((a, bit) => a.multiplier === null || a.multiplier === 1 || !((u.actions >> bit) & 1)));
    const rate = none.filter((u) => u.retained).length / none.length;
    expect(Math.abs(rate - BASE_RETENTION)).toBeLessThan(0.012);
  });

  it('is deterministic for a seed', () => {
    const make = (seed: number) => planPopulation(new Rng(deriveSeed(seed, 'plan')), DAYS, FIRST_WEEKDAY, 5);
    expect(make(1)).toEqual(make(1));
    expect(make(2).users.length).not.toBe(make(1).users.length);
  });
});

describe('calibrateScale', () => {
  const small = planPopulation(new Rng(5), DAYS, FIRST_WEEKDAY, 2);
  const total = (scale: number) => {
    const active = expectedActiveDays(small, FIRST_WEEKDAY);
    return small.users.reduce((n, u, i) => n + active[i]! * eventsPerActiveDay(u.intensity, scale), scheduledInLake(small));
  };

  it('finds the scale whose expected total is the target', () => {
    const target = total(1) * 1.3;
    const scale = calibrateScale(small, FIRST_WEEKDAY, target);
    expect(total(scale) / target).toBeCloseTo(1, 6);
  });

  it('clamps when the target is out of reach', () => {
    expect(calibrateScale(small, FIRST_WEEKDAY, 1)).toBe(0.05);
    expect(calibrateScale(small, FIRST_WEEKDAY, 1e12)).toBe(50);
  });

  it('eventsPerActiveDay is never below one event', () => {
    expect(eventsPerActiveDay(2, 0.1)).toBe(1);
    expect(eventsPerActiveDay(4, 1.5)).toBe(6);
  });
});
