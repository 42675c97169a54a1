import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/archive")
def archive(days: int):
    proc = subprocess.Popen(f"find /srv/logs -mtime +{days} -delete", shell=True)
    proc.wait()
    return {"code": proc.returncode}
