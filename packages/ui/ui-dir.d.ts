/** The folder of the built UI: index.html and the content-hashed files under assets/. */
export declare const UI_DIR: string;
