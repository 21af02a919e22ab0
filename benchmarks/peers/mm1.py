"""The M/M/1 queue in SimPy 3, the peer of BenchmarkMM1.

Poisson arrivals at rate 0.8/s, one server (a simpy.Resource) with exponential
service at rate 1/s, FIFO, written the idiomatic SimPy way: a source process
and one process per customer that requests the server, holds it for its
service time and releases it. Waits in queue are accumulated, as in the Go
model. Prints ns/customer (SimPy's events per customer differ from the Go
engine's, so customers are the common unit).

Usage: /usr/bin/python3 mm1.py [CUSTOMERS]
"""

import random
import sys
import time

import simpy

LAMBDA, MU = 0.8, 1.0


class Stats:
    served = 0
    wait = 0.0


def customer(env, server, rng, stats):
    arrived = env.now
    with server.request() as req:
        yield req
        stats.wait += env.now - arrived
        yield env.timeout(rng.expovariate(MU))
    stats.served += 1


def source(env, server, rng, stats):
    while True:
        yield env.timeout(rng.expovariate(LAMBDA))
        env.process(customer(env, server, rng, stats))


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    rng = random.Random(1)
    stats = Stats()
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    env.process(source(env, server, rng, stats))
    env.run(until=10_000)  # warm up
    served = stats.served
    start = time.perf_counter()
    env.run(until=env.now + customers / LAMBDA)
    elapsed = time.perf_counter() - start
    n = stats.served - served
    print(f"mm1 customers={n} ns/customer {elapsed / n * 1e9:.1f}")


if __name__ == "__main__":
    main()
