// `unimplemented(...)` operations are marked for the router to answer 501; `partial` blocks split
// the handlers over several blocks; generics and helpers carry over.
include!("petstore_api.rs");

use std::marker::PhantomData;

struct Backend<S> {
    store: PhantomData<S>,
}

#[oas_macros::handlers(spec = "petstore.yaml", api = api, unimplemented("deletePet"), partial)]
impl<S: Send + Sync + 'static> Backend<S> {
    async fn list_pets(&self, _request: api::ListPetsRequest) -> api::ListPetsResponse {
        self.log();
        api::ListPetsResponse::Ok
    }

    #[oas(helper)]
    fn log(&self) {}
}

#[oas_macros::handlers(spec = "petstore.yaml", api = api, partial)]
impl<S> Backend<S>
where
    S: Send + Sync + 'static,
{
    async fn create_pet(&self, _request: api::CreatePetRequest, parts: oas_runtime::server::RequestParts) -> api::CreatePetResponse {
        let _ = parts.uri;
        api::CreatePetResponse::Created
    }
}

const _: () = assert!(<Backend<u8> as api::server::ListPets>::IMPLEMENTED);
const _: () = assert!(!<Backend<u8> as api::server::DeletePet>::IMPLEMENTED);

fn main() {
    fn all_served<T: api::server::ListPets + api::server::CreatePet + api::server::DeletePet>() {}
    all_served::<Backend<u8>>();
    let _ = Backend::<u8> { store: PhantomData };
}
