export function UserBadges({ user }: { user: { isActive: boolean; isAdmin: boolean } }) {
  return (
    <>
      {user.isAdmin ? <span className="badge badge-info">Admin</span> : null}
      {user.isActive ? null : <span className="badge badge-danger">Disabled</span>}
    </>
  );
}
