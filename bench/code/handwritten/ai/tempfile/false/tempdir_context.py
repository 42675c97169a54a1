import json
import os
import tempfile


def cache_results(results):
    with tempfile.TemporaryDirectory() as tmpdir:
        path = os.path.join(tmpdir, "results.json")
        with open(path, "w") as fh:
            json.dump(results, fh)
        return os.path.getsize(path)
