"""Times unoserver converting one DOCX to PDF: run by bench/peers.py under unoserver's own
virtual environment (it imports nothing of the service).

    python peers_unoserver.py DOCX RUNS CLIENTS REQUESTS PORT [PORT …]

Prints one JSON line: the one-at-a-time samples (ms) and the concurrent run's latencies (ms)
and wall time (s); client k of CLIENTS talks to the server on PORT number k modulo their count.
"""

import json
import sys
import threading
import time

from unoserver.client import UnoClient


def main():
    path, runs, clients, requests, *ports = sys.argv[1:]
    data = open(path, "rb").read()
    servers = [UnoClient(port=port) for port in ports]
    for server in servers:  # warm: each LibreOffice's first conversion loads its filters
        server.convert(indata=data, convert_to="pdf")
        server.convert(indata=data, convert_to="pdf")
    alone = []
    for _ in range(int(runs)):
        started = time.perf_counter()
        servers[0].convert(indata=data, convert_to="pdf")
        alone.append((time.perf_counter() - started) * 1000)

    latencies, lock, left = [], threading.Lock(), [int(requests)]

    def client(number):
        server = servers[number % len(servers)]
        while True:
            with lock:
                if not left[0]:
                    return
                left[0] -= 1
            started = time.perf_counter()
            server.convert(indata=data, convert_to="pdf")
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(int(clients))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"alone": alone, "latencies": latencies,
                      "wall": time.perf_counter() - started}))


if __name__ == "__main__":
    main()
