// A failure in the API's own words, announced to screen readers (role=alert); nothing when there is none.

export function ErrorAlert({ message, id }: { message: string | undefined; id?: string }) {
  if (!message) return null;
  return (
    <p role="alert" class="error" id={id}>
      {message}
    </p>
  );
}
