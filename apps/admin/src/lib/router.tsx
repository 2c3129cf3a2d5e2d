// Navigation for code outside the route tree's components: signing out (auth.tsx) goes to the sign-in
// page through the app's one router (src/router.tsx, TanStack Router), imported when first used.
import { router } from "@/router.tsx";

export function navigate(to: "/sign-in") {
  void router.navigate({ to });
}
