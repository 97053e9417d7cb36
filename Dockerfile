FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 HOST=0.0.0.0 PORT=8000
WORKDIR /srv/paper-atlas

COPY . .
RUN pip install --no-cache-dir -e . \
    && useradd --system --home /srv/paper-atlas atlas \
    && mkdir -p data && chown -R atlas data
USER atlas

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["sh", "-c", "papers db upgrade && papers seed && papers serve"]
