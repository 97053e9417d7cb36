// Starts Swagger UI on /docs from our own files; kept out of the page so the CSP needs no inline script.
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // No calls to the public validator service: pages make no external requests.
    validatorUrl: null,
    tryItOutEnabled: false,
  });
});
