// Public API of @praetor/sdk. Filled in by the SDK issue; the package exists so the
// workspace layout and build are in place from the start.
export {};
