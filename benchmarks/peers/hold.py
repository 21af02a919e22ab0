"""The hold model in SimPy 3, the peer of BenchmarkHold.

P processes each loop on `yield env.timeout(Exp(1))`, so P events are always
pending and every event schedules one more. After a warm-up, the script times
a fixed number of env.step() calls (one timeout each) and prints ns/event.

Usage: /usr/bin/python3 hold.py PENDING [EVENTS]
"""

import random
import sys
import time

import simpy


def holder(env, rng):
    while True:
        yield env.timeout(rng.expovariate(1.0))


def main():
    pending = int(sys.argv[1])
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    rng = random.Random(1)
    env = simpy.Environment()
    for _ in range(pending):
        env.process(holder(env, rng))
    for _ in range(2 * pending):  # start the processes, reach steady state
        env.step()
    step = env.step
    start = time.perf_counter()
    for _ in range(events):
        step()
    elapsed = time.perf_counter() - start
    print(f"hold pending={pending} ns/event {elapsed / events * 1e9:.1f}")


if __name__ == "__main__":
    main()
