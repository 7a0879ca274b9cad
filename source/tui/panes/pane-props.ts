export interface PaneProps {
  active: boolean; // shown and taking keys
  width: number;
  height: number;
}
