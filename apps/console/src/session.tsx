import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, setToken, whenUnauthorized } from './api';
import type { Principal, Scope } from './types';

interface Session {
  principal: Principal | undefined;
  signIn(token: string | undefined): Promise<void>;
  signOut(reason?: string): void;
  can(scope: Scope): boolean;
  /** Why the last session ended, shown on the sign-in page. */
  endedBecause: string | undefined;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [principal, setPrincipal] = useState<Principal>();
  const [endedBecause, setEndedBecause] = useState<string>();
  const queryClient = useQueryClient();

  const signOut = useCallback(
    (reason?: string) => {
      setToken(undefined);
      setPrincipal(undefined);
      setEndedBecause(reason);
      queryClient.clear();
    },
    [queryClient],
  );

  const signIn = useCallback(async (token: string | undefined) => {
    setToken(token);
    try {
      const who = await api<Principal>('GET', '/me');
      setEndedBecause(undefined);
      setPrincipal(who);
    } catch (error) {
      setToken(undefined);
      throw error;
    }
  }, []);

  useEffect(
    () => whenUnauthorized(() => signOut('The API no longer accepts this token. Sign in again.')),
    [signOut],
  );

  const value = useMemo<Session>(
    () => ({
      principal,
      signIn,
      signOut,
      endedBecause,
      can: (scope) => principal?.scopes.includes(scope) ?? false,
    }),
    [principal, signIn, signOut, endedBecause],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
