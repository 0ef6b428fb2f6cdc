// Where the site finds gqlnews and its pictures. examples/site/serve.py answers this file
// itself with its --api option; any other static server serves this one.
export const API_URL = "http://127.0.0.1:8000/graphql";
// The demo's photos name a host that does not exist: their URLs are rewritten to MEDIA_PROXY
// (placeholders from serve.py). A real site sets MEDIA_PROXY to "" (no rewriting).
export const MEDIA_BASE = "https://medias.observateur.example";
export const MEDIA_PROXY = "/media";
