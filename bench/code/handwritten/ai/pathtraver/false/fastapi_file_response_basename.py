import os

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
FILES_DIR = "static_files"


@app.get("/files/{file_name}")
async def get_file(file_name: str):
    safe_name = os.path.basename(file_name)
    path = os.path.join(FILES_DIR, safe_name)
    if not os.path.isfile(path):
        raise HTTPException(status_code=404, detail="File not found")
    return FileResponse(path)
