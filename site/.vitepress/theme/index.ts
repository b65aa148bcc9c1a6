/**
 * The site's theme: VitePress's default, plus one stylesheet.
 */
import DefaultTheme from "vitepress/theme";
import "./custom.css";

export default DefaultTheme;
