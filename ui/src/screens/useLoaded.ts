// A value loaded for a key, and why not.
import { useEffect, useState } from "preact/hooks";
import { sayError, type Said } from "../messages";

/** What `load` gives (or why not, said), asked again whenever `key` changes; an answer for an older key is dropped. */
export function useLoaded<T>(load: () => Promise<T>, key: string): [T | null, Said | null] {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<Said | null>(null);
  useEffect(() => {
    let alive = true;
    setValue(null);
    setError(null);
    load().then((v) => alive && setValue(v)).catch((e) => alive && setError(sayError(e)));
    return () => { alive = false; };
  }, [key]);
  return [value, error];
}

