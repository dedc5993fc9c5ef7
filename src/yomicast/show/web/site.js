// yomicast: seek from chapters and transcript cues, follow the playing cue, search the transcript,
// copy the feed URL. The pages read fully without it.
"use strict";
(() => {
  const status = (el, text) => { if (el) el.textContent = text; };

  for (const button of document.querySelectorAll("button.copy")) {
    button.addEventListener("click", async () => {
      const field = document.getElementById(button.dataset.copy);
      const out = document.querySelector(".subscribe .status");
      try {
        await navigator.clipboard.writeText(field.value);
        status(out, "フィード URL をコピーしました。");
      } catch {
        field.select();
        status(out, "URL を選択しました。コピーしてください。");
      }
    });
  }

  const audio = document.getElementById("player");
  if (!audio) return;
  const cues = [...document.querySelectorAll(".cue[data-start]")];
  const starts = cues.map((c) => parseFloat(c.dataset.start));
  const follow = document.getElementById("follow");

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-start]");
    if (!target || (event.target.closest("a"))) return;
    audio.currentTime = parseFloat(target.dataset.start);
    audio.play().catch(() => {});
  });

  let current = -1;
  const mark = () => {
    const t = audio.currentTime + 0.05;
    let lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (found === current) return;
    if (current >= 0) { cues[current].classList.remove("current"); cues[current].removeAttribute("aria-current"); }
    current = found;
    if (current < 0) return;
    const cue = cues[current];
    cue.classList.add("current");
    cue.setAttribute("aria-current", "true");
    if (follow && follow.checked && !audio.paused) cue.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };
  audio.addEventListener("timeupdate", mark);
  audio.addEventListener("seeked", mark);

  const search = document.getElementById("search");
  const found = document.querySelector(".transcript .found");
  if (search) {
    search.addEventListener("input", () => {
      const q = search.value.trim();
      let n = 0;
      for (const cue of cues) {
        const hit = !q || cue.querySelector(".text").textContent.includes(q);
        cue.hidden = !hit;
        if (hit && q) n += 1;
      }
      status(found, q ? `${n} 件` : "");
    });
  }
})();
