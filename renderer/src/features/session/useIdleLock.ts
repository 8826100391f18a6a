import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { useDb } from '../../db/db';
import { useSessionStore } from './useSessionStore';
import { checkUnlockPassword } from './unlockVerifier';

const MINUTES_KEY = 'gridwork:idle-lock-minutes';
export const DEFAULT_IDLE_MINUTES = 10;
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** The configured idle time in minutes (1–240), from this device's settings. */
export function idleMinutes(): number {
  const value = Number(localStorage.getItem(MINUTES_KEY));
  return Number.isInteger(value) && value >= 1 && value <= 240 ? value : DEFAULT_IDLE_MINUTES;
}

/**
 * The idle lock (等保 身份鉴别 / shared office laptops): after the configured minutes without
 * input, a signed-in session is covered by a lock screen that only the user's password opens —
 * checked against a local verifier, so it works offline. Unsigned local use is not locked.
 */
export const useIdleLock = defineStore('idleLock', () => {
  const db = useDb();
  const session = useSessionStore();
  const locked = ref(false);
  const minutes = ref(idleMinutes());
  let timer: ReturnType<typeof setTimeout> | undefined;

  function arm() {
    clearTimeout(timer);
    if (!session.signedIn || locked.value) return;
    timer = setTimeout(() => (locked.value = true), minutes.value * 60_000);
  }

  function start() {
    for (const event of ACTIVITY_EVENTS)
      window.addEventListener(event, arm, { passive: true, capture: true });
    arm();
  }

  function setMinutes(value: number) {
    if (!Number.isInteger(value) || value < 1 || value > 240)
      throw new RangeError('idle lock: 1 to 240 minutes');
    minutes.value = value;
    localStorage.setItem(MINUTES_KEY, String(value));
    arm();
  }

  /** True and unlocked when the password matches the signed-in user's. */
  async function unlock(password: string): Promise<boolean> {
    const user = session.user;
    if (!user || !(await checkUnlockPassword(db, user.id, password))) return false;
    locked.value = false;
    arm();
    return true;
  }

  watch(
    () => session.signedIn,
    (signedIn) => {
      if (!signedIn) locked.value = false;
      arm();
    },
  );

  return {
    locked,
    minutes,
    start,
    setMinutes,
    unlock,
    lockNow: () => (locked.value = session.signedIn),
  };
});
