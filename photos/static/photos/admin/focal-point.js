// Click the preview to set the focal point; without JavaScript the two number fields still do it.
// The point is measured against the picture itself, not the frame around it, which may be wider.
document.addEventListener("click", (event) => {
  const frame = event.target.closest(".focal-point");
  if (!frame) return;
  const box = frame.querySelector("img").getBoundingClientRect();
  const x = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
  const y = Math.min(Math.max((event.clientY - box.top) / box.height, 0), 1);
  document.getElementById("id_focal_x").value = x.toFixed(3);
  document.getElementById("id_focal_y").value = y.toFixed(3);
  for (const circle of frame.querySelectorAll("circle")) {
    circle.setAttribute("cx", `${x * 100}%`);
    circle.setAttribute("cy", `${y * 100}%`);
  }
});
