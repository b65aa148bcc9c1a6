/**
 * What `tsc` may assume about `.vue` files: each exports a component. It
 * cannot check them itself (vue-tsc does not run with TypeScript 7), which is
 * why the components keep their logic in plain `.ts` files next to them.
 */
declare module "*.vue" {
  import type { DefineComponent } from "vue";
  const component: DefineComponent;
  export default component;
}
