#!/usr/bin/env python3
"""compare.py - time commands side by side, interleaved, and print ratios.

usage: compare.py [--runs N] --name A -- CMD... --name B -- CMD...

Each round runs every command once, in turn, so that a noisy neighbour
slows all of them alike. Reports the median wall time, the peak RSS (max
over runs, from the kernel's rusage of the child) and the ratio of each
command to the last one.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def parse(argv):
    runs, cmds, i = 20, [], 0
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1])
            i += 2
        elif argv[i] == "--name":
            name, i = argv[i + 1], i + 3  # skip "--"
            j = i
            while j < len(argv) and argv[j] != "--name":
                j += 1
            cmds.append((name, argv[i:j]))
            i = j
        else:
            sys.exit("compare.py: unexpected " + argv[i])
    return runs, cmds


def run_once(cmd):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("compare.py: %s exited with %d" % (cmd[0], os.waitstatus_to_exitcode(status)))
    return elapsed, usage.ru_maxrss


def main():
    runs, cmds = parse(sys.argv[1:])
    times = {name: [] for name, _ in cmds}
    rss = {name: 0 for name, _ in cmds}
    for _ in range(runs):
        for name, cmd in cmds:
            t, m = run_once(cmd)
            times[name].append(t)
            rss[name] = max(rss[name], m)
    base = cmds[-1][0]
    base_t = statistics.median(times[base])
    print("%-12s %10s %10s %12s %8s" % ("command", "median", "min", "peak RSS", "ratio"))
    for name, _ in cmds:
        med = statistics.median(times[name])
        print("%-12s %8.1fms %8.1fms %9.1f MiB %8.2f" % (
            name, med * 1000, min(times[name]) * 1000, rss[name] / 1024, med / base_t))
    print("runs: %d each, interleaved; ratio = median / median of %s" % (runs, base))


if __name__ == "__main__":
    main()
