export * from "./argo-cd-hub-role";
export * from "./crossplane-policies";
export * from "./names";
export * from "./spoke-access";
