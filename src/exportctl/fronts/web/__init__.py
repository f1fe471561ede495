"""The web page: static HTML, JS and CSS served by the API app at / (no CDN, no build step)."""
