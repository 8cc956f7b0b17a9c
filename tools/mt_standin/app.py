"""A local stand-in for a LibreTranslate-compatible machine-translation service (no provider is
reachable from here). It "translates" from a small phrase table and marks everything else, so tests
and demos can see the whole path: gemeente setting -> inbox button -> provider -> Dutch in the thread.

Run: uvicorn tools.mt_standin.app:app --port 8095; set the gemeente's machine_translation_url to it.
"""

from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI(title="Machine translation stand-in")

PHRASES = {
    "بدي احكي مع شخص": "Ik wil met iemand praten",
    "متى سيتصل بي أحد؟": "Wanneer belt iemand mij?",
    "شكرا": "Dank u",
    "ሰላም": "Hallo",
    "merhaba": "Hallo",
}


class TranslateRequest(BaseModel):
    q: str = Field(max_length=5000)
    source: str = "auto"
    target: str = "nl"
    format: str = "text"


@app.post("/translate")
def translate(body: TranslateRequest) -> dict[str, str]:
    text = body.q.strip()
    for phrase, dutch in PHRASES.items():
        if phrase in text:
            return {"translatedText": dutch, "detectedLanguage": "auto"}
    return {"translatedText": f"[{body.target}] {text}", "detectedLanguage": "auto"}
