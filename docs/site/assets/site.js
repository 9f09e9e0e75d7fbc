// the site's only script: the light/dark switch, and diagrams rendered by the mermaid bundle next to it
(() => {
  const root = document.documentElement;
  const dark = () =>
    root.dataset.theme === "dark" ||
    (root.dataset.theme !== "light" && matchMedia("(prefers-color-scheme: dark)").matches);

  const diagrams = [...document.querySelectorAll("pre.mermaid")];
  for (const node of diagrams) node.dataset.source = node.textContent;

  async function render() {
    if (diagrams.length === 0) {
      document.body.dataset.diagrams = "done";
      return;
    }
    if (!window.mermaid) {
      console.error("the mermaid bundle did not load: diagrams cannot be drawn");
      document.body.dataset.diagrams = "failed";
      return;
    }
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: dark() ? "dark" : "default" });
    for (const node of diagrams) {
      node.removeAttribute("data-processed");
      node.textContent = node.dataset.source;
      try {
        await window.mermaid.run({ nodes: [node] });
      } catch (error) {
        // say where the diagram is, rather than leave a blank box
        const where = `${node.dataset.file}:${node.dataset.line}`;
        console.error(`diagram at ${where} did not render: ${error?.message}`);
        node.innerHTML = "";
        const box = document.createElement("div");
        box.className = "diagram-error";
        box.textContent = `This diagram (${where}) did not render: ${error?.message}`;
        node.append(box);
      }
    }
    document.body.dataset.diagrams = "done";
  }

  document.querySelector(".theme")?.addEventListener("click", () => {
    const next = dark() ? "light" : "dark";
    root.dataset.theme = next;
    try {
      localStorage.setItem("sdk-theme", next);
    } catch {}
    render();
  });
  render();
})();
