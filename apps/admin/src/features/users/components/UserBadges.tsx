// A user's badges: admin, and pending (never activated) or disabled.
export function UserBadges({ user }: { user: { isActive: boolean; isAdmin: boolean; status: string } }) {
  return (
    <>
      {user.isAdmin ? <span className="badge badge-info">Admin</span> : null}
      {user.isActive ? null : user.status === "pending" ? (
        <span className="badge badge-warning">Pending</span>
      ) : (
        <span className="badge badge-danger">Disabled</span>
      )}
    </>
  );
}
