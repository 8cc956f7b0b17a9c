"""NLG endpoint latency with the approval gate (one database lookup per message and fragment).

Start the API first (e.g. make run), then:  python bench/nlg.py --url http://127.0.0.1:8000 --token ...
"""

import argparse
import time

import httpx

CASES = [
    ("nl", "utter_menu", {}),
    ("ti", "utter_ontzorgen_active", {"items": ["@utter_item_rent", "@utter_item_energy"], "end_date": "2027-01-01",
                                      "run_by": "Kredietbank"}),
    ("ar", "utter_lesson_item", {"kind": "@utter_kind_knm", "start_date": "2026-12-01", "start_time": "09:00",
                                 "end_time": "12:00", "address": "Stationsweg 1"}),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="the API's service token (API_SERVICE_TOKEN)")
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    client = httpx.Client(base_url=args.url, headers={"Authorization": f"Bearer {args.token}"})
    for language, key, arguments in CASES:
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            res = client.post("/nlg", json={"response": key, "arguments": arguments,
                                            "tracker": {"slots": {"language": language}}})
            times.append((time.perf_counter() - start) * 1000)
            res.raise_for_status()
        times.sort()
        print(f"{language} {key}: p50 {times[len(times) // 2]:.2f} ms, "  # noqa: T201
              f"p95 {times[int(len(times) * 0.95)]:.2f} ms, sent in {res.json()['custom']['sent_in']}")


if __name__ == "__main__":
    main()
