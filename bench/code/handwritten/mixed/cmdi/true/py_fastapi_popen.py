import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/archive")
def archive(folder: str):
    proc = subprocess.Popen(f"tar czf /tmp/out.tgz {folder}", shell=True)
    proc.wait()
    return {"code": proc.returncode}
