import yaml
from fastapi import FastAPI, File, UploadFile

app = FastAPI()


@app.post("/config/upload")
async def upload_config(file: UploadFile = File(...)):
    contents = await file.read()
    data = yaml.load(contents, Loader=yaml.SafeLoader)
    return {"keys": list(data)}
