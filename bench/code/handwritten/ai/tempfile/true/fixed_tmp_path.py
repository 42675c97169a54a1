import json


def cache_results(results):
    with open("/tmp/results_cache.json", "w") as fh:
        json.dump(results, fh)


def load_cached():
    with open("/tmp/results_cache.json") as fh:
        return json.load(fh)
