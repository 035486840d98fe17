// The review panel's browser side is built with the extension issue; this entry keeps
// the webview build target (and its DOM type-check) in place from the start.
export {};
