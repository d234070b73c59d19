/**
 * Page code (a string: tsx's helpers do not exist in the page) that clicks `selector` and resolves
 * with the milliseconds until `done` (a page-side expression) holds, watched by a MutationObserver.
 * `setup` runs first, in the same scope as `done` (state `done` keeps between checks).
 */
export function msFromClickUntil(selector: string, done: string, setup = ''): string {
  return `new Promise((resolve) => {
  ${setup}
  const done = () => ${done};
  const observer = new MutationObserver(() => {
    if (done()) {
      observer.disconnect();
      resolve(performance.now() - started);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  const started = performance.now();
  document.querySelector(${JSON.stringify(selector)}).click();
})`;
}
